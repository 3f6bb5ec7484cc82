# syntax=docker/dockerfile:1
# Loupe: build the single binary, then ship it alone on a minimal glibc base.
#   docker build -t loupe .
#   docker run -p 3000:3000 -v loupe-data:/data loupe
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://loupe:secret@db:5432/loupe loupe

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Bun arrives as an npm package (its install script places the binary).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && mkdir -p /data

# The binary needs only glibc: distroless "base" has it, with no shell, package manager or curl.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /src/dist/loupe /usr/local/bin/loupe
# An empty data folder owned by the non-root user (uid 65532), so the volume starts writable.
COPY --from=build --chown=nonroot:nonroot /data /data
USER nonroot
WORKDIR /data
ENV HOST=0.0.0.0 \
    PORT=3000 \
    LOUPE_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 3000
# No curl in the image: the binary checks itself (GET /healthz on PORT).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/loupe", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/loupe"]
CMD ["serve"]
