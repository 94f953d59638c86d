# Build: a static registry binary from Debian 12 packages.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/setup.sh && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build -j"$(nproc)" --target registry \
    && strip build/registry && mkdir -p /out/data && cp build/registry /out/registry

# Run: nothing but the static binary.
FROM scratch
COPY --from=build /out/registry /registry
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8000
# No curl in a scratch image: the binary probes itself.
HEALTHCHECK CMD ["/registry", "health", "--url", "http://127.0.0.1:8000"]
ENTRYPOINT ["/registry", "serve", "--data", "/data", "--listen", "0.0.0.0:8000"]
