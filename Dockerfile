# The API image used by docker-compose.yml. better-sqlite3 compiles from source, hence the toolchain.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx nest build api && node scripts/build-web.js
EXPOSE 3000
CMD ["node", "scripts/start-api.js"]
