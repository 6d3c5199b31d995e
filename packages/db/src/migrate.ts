/**
 * Migrations on Prisma's schema engine compiled to WebAssembly, so no native engine binary is downloaded.
 *
 * prisma/schema.prisma is the single source of truth; prisma/migrations/<timestamp>_<name>/migration.sql are
 * standard Prisma migration folders (a user's own `prisma migrate deploy` accepts them too), and the
 * `_prisma_migrations` bookkeeping table is the one the Prisma CLI writes.
 */
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } from "@prisma/driver-adapter-utils";
import type * as EngineTypes from "@prisma/schema-engine-wasm";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SCHEMA_PATH = path.join(REPO_ROOT, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma/migrations");
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type EngineModule = typeof EngineTypes;
/** The subset of the WebAssembly global used here (not in the ES2023 lib typings). */
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
let engineModule: Promise<EngineModule> | undefined;

/** The package's own entry imports the .wasm as an ES module, which Node refuses; instantiate it by hand. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as EngineModule & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const require = createRequire(import.meta.url);
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bg,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return engineModule;
}

async function schemaFiles(): Promise<{ path: string; content: string }[]> {
  return [{ path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, "utf8") }];
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The engine reads Postgres' catalogs, which use the one-byte `"char"` type that the pg driver adapter does not
 * map (it answers "Column type 'char' could not be deserialized"). Its text form is a plain string, so this
 * client reports such columns as text.
 */
class CatalogFriendlyClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads cannot be forwarded typed
  override query(...args: unknown[]): any {
    const last: unknown = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (err: Error | null, res?: pg.QueryResult) => void;
      args[args.length - 1] = (err: Error | null, res?: pg.QueryResult) => callback(err, res && textForChar(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return result instanceof Promise ? result.then((res: pg.QueryResult) => textForChar(res)) : result;
  }
}

function textForChar(res: pg.QueryResult): pg.QueryResult {
  for (const field of res.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  return res;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";" — inside comments, strings and
 * dollar-quoted function bodies too — so a migration that creates a PL/pgSQL function fails. Prisma's native
 * engine (what a user's `prisma migrate deploy` runs) sends the whole script as one simple query; this factory
 * does the same, so both accept the same migration files.
 */
class WholeScriptPrismaPg extends PrismaPg {
  override async connect(): Promise<Awaited<ReturnType<PrismaPg["connect"]>>> {
    const adapter = await super.connect();
    const client = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await client.query(script);
      } catch (error) {
        const e = error as pg.DatabaseError;
        throw new DriverAdapterError({
          kind: "postgres",
          code: e.code ?? "",
          severity: e.severity ?? "ERROR",
          message: e.message,
          detail: e.detail,
          column: e.column,
          hint: e.hint,
        });
      }
    };
    return adapter;
  }
}

async function withEngine<T>(databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const mod = await loadEngineModule();
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    idleTimeoutMillis: 200,
    Client: CatalogFriendlyClient,
  });
  try {
    const files = await schemaFiles();
    const engine = await mod.SchemaEngine.new(
      { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(new WholeScriptPrismaPg(pool)),
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

export interface MigrationFolder {
  name: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFolder[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  folders.sort();
  return Promise.all(
    folders.map(async (name) => ({ name, sql: await readFile(path.join(dir, name, "migration.sql"), "utf8") })),
  );
}

function migrationList(migrations: MigrationFolder[], dir = MIGRATIONS_DIR) {
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
    })),
  };
}

/** Applies every pending migration (of `dir`, prisma/migrations by default); returns the names of those it applied. */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return withEngine(databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: migrationList(migrations, dir), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  });
}

/** SQL that would take a database migrated with the current folders to prisma/schema.prisma ("" when none). */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  return withEngine(databaseUrl, async (engine) => {
    const files = await schemaFiles();
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: REPO_ROOT },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return normaliseScript(result.stdout ?? "");
  });
}

function normaliseScript(sql: string): string {
  const trimmed = sql.trim();
  return trimmed === "-- This is an empty migration." ? "" : trimmed;
}

/**
 * Writes a new migration folder with the SQL that takes a database at the current migrations to the schema.
 * `databaseUrl` must point at a scratch database: it is migrated to the current folders first.
 */
export async function createMigration(databaseUrl: string, name: string, now = new Date()): Promise<string | null> {
  await applyMigrations(databaseUrl);
  const sql = await diffDatabaseToSchema(databaseUrl);
  if (!sql) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_").toLowerCase()}`;
  await mkdir(path.join(MIGRATIONS_DIR, folder), { recursive: true });
  await writeFile(path.join(MIGRATIONS_DIR, folder, "migration.sql"), `${sql}\n`);
  if (!existsSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"))) {
    await writeFile(
      path.join(MIGRATIONS_DIR, "migration_lock.toml"),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return folder;
}
