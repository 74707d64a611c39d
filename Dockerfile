# followupd in a container: built on Debian 12 from this source tree, run on
# Debian 12 slim with the same libraries. See README, "Install on Debian".
#
#   docker build -t followupd .
#   docker run -d --name followupd -p 8080:8080 -v followupd-data:/var/lib/followupd \
#     -v $PWD/config.json:/etc/followupd/config.json:ro followupd
#   docker kill -s HUP followupd      # reload the config (users, teams, SOP, log level)

# --- build: the packages scripts/lib.sh lists, then the binary alone ------------
FROM debian:12 AS build
WORKDIR /src
COPY scripts/lib.sh scripts/lib.sh
COPY adapters adapters
RUN bash -c 'source scripts/lib.sh && ensure_packages "${BUILD_PACKAGES[@]}"' \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN rm -rf build \
 && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOLLOWUPD_TESTS=OFF \
 && cmake --build build --target followupd \
 && strip build/followupd

# --- run: the libraries the binary links, tzdata for the time zones ----------------
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates tzdata libboost-url1.81.0 libcsv3 libcurl4 libdate-tz3 libfmt9 libpq5 libpugixml1v5 \
      libspdlog1.10 libsqlite3-0 libssl3 libsystemd0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/followupd --no-create-home --shell /usr/sbin/nologin followupd \
 && install -d -o followupd -g followupd -m 0750 /var/lib/followupd
COPY --from=build /src/build/followupd /usr/bin/followupd
COPY packaging/config.json /etc/followupd/config.json
# The packaged config listens on loopback; inside a container the published
# port reaches it only on all addresses.
ENV FOLLOWUPD_SERVER_ADDRESS=0.0.0.0
USER followupd
WORKDIR /var/lib/followupd
VOLUME /var/lib/followupd
EXPOSE 8080
STOPSIGNAL SIGTERM
RUN followupd check-config -c /etc/followupd/config.json
ENTRYPOINT ["/usr/bin/followupd"]
CMD ["run", "--config", "/etc/followupd/config.json"]
