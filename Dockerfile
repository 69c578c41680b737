# syntax=docker/dockerfile:1
# Nimbus Signals container image.
#
# Both stages use Debian 12 by tag rather than by digest, so a rebuild picks up Debian's security
# updates. Pin them with debian:12@sha256:... where byte-identical rebuilds matter more.

# Build stage: the same dependency script and CMake options as a developer machine, tests and
# benchmarks off.
FROM debian:12 AS build

WORKDIR /src

# The dependency layer is cached until the script changes.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh \
    && rm -rf /var/lib/apt/lists/*

COPY . .

# .git is not in the build context, so the commit comes in as a build argument.
ARG NIMBUS_COMMIT=unknown
ENV NIMBUS_COMMIT=${NIMBUS_COMMIT}

RUN cmake -S . -B /build -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DNIMBUS_BUILD_TESTS=OFF \
        -DNIMBUS_BUILD_BENCH=OFF \
    && cmake --build /build --target nimbus-signals \
    && install -D -m 0755 /build/nimbus-signals /usr/local/bin/nimbus-signals \
    && /usr/local/bin/nimbus-signals --version

# Runtime stage: only the shared libraries the binary links and the CA bundle for HTTPS.
# tests/deploy/check_runtime_libraries.py checks this list against ldd of the built binary.
FROM debian:12-slim AS runtime

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates \
        libcaf-core0.17 \
        libcurl4 \
        libfmt9 \
        libsimdjson14 \
        libyaml-cpp0.7 \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid and gid, 65532, so Kubernetes runAsUser and runAsNonRoot match the image.
RUN groupadd --system --gid 65532 nimbus \
    && useradd --system --uid 65532 --gid 65532 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin nimbus

COPY --from=build /usr/local/bin/nimbus-signals /usr/local/bin/nimbus-signals
COPY config/nimbus.yaml /etc/nimbus-signals/config.yaml

ARG VERSION=0.0.0-dev
ARG NIMBUS_COMMIT=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="nimbus-signals" \
      org.opencontainers.image.description="Real-time crypto reference prices aggregated from public exchange APIs" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${NIMBUS_COMMIT}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="https://github.com/example-org/nimbus-signals" \
      org.opencontainers.image.base.name="docker.io/library/debian:12-slim"

# The process writes only to stdout, so the image runs with a read-only root filesystem.
USER 65532:65532
EXPOSE 8080

# No HEALTHCHECK: Kubernetes ignores it and uses the Deployment's probes on /livez and /readyz.
ENTRYPOINT ["/usr/local/bin/nimbus-signals"]
CMD ["--config", "/etc/nimbus-signals/config.yaml"]
