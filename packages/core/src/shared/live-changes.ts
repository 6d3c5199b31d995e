import type { MediaAsset, Message } from "@inbox/db";

/** A message whose stored row the caller already holds (no read needed), with its conversation's routing. */
export interface LiveMessageRow {
  /** The row as stored, with its attachments when it has any. */
  row: Message & { media?: Pick<MediaAsset, "id" | "mimeType" | "filename" | "sizeBytes" | "status">[] };
  teamId: string | null;
  assigneeId: string | null;
}

export interface LiveChange {
  createdMessageIds?: string[];
  updatedMessageIds?: string[];
  conversationIds?: string[];
  /** Created messages given as their rows: announced as they are, not read back. */
  storedMessages?: LiveMessageRow[];
}

/**
 * Where use cases report what they committed, for the consoles' live updates: the api and the worker hand every
 * use case the process's one LiveChangeBatcher, which turns the changes into live events and publishes them.
 */
export interface LiveChanges {
  /** Records committed changes; never throws (live updates are best effort, the database is the truth). */
  add(change: LiveChange): void;
}
