# One Callboard node. Production runs it against MongoDB (MONGODB_URI) and Redis (REDIS_URL).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DEMO=off
WORKDIR /app
COPY --from=build /app /app
EXPOSE 3000
USER node
CMD ["node", "--import", "tsx", "server/src/main.ts"]
