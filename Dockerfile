# One image for api and worker (the command differs); the api serves the built console.
FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install -g pnpm@10
WORKDIR /app

FROM base AS build
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @inbox/console build

FROM base AS runtime
# A young generation of 64 MB semi-spaces, as `pnpm start` gives its processes (docs/operations.md, "Processes").
ENV NODE_ENV=production NODE_OPTIONS=--max-semi-space-size=64
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["pnpm", "inbox", "start"]
