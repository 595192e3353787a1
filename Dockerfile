# syntax=docker/dockerfile:1

# Build: compile TypeScript with the dev dependencies, then keep only what runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY db ./db
RUN npm run build && npm prune --omit=dev

# Run: no compiler, no dev dependencies, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The prepared embedded database a first start copies instead of running initdb (src/db/dataDirTemplate.ts).
COPY --from=build --chown=node:node /app/db/pglite ./db/pglite
COPY --chown=node:node package.json manifest.yml ./
# The sandbox's page (plain HTML/CSS/JS, served as it is) and the entry point that starts either.
COPY --from=build --chown=node:node /app/src/sandbox/page ./src/sandbox/page
COPY --chown=node:node bin/docker-entrypoint.sh ./bin/docker-entrypoint.sh
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches Herald and it can finish work in flight; the entry point
# execs it (or, for `docker run … herald sandbox`, the sandbox).
ENTRYPOINT ["./bin/docker-entrypoint.sh"]
CMD ["node", "dist/src/main.js"]
