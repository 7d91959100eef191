# The image form of kserve-localmodel-fn, for `kpt fn render` with `image:`, the Argo CD sidecar and
# CI. It holds only Node and the bundled function: build the bundle first (`npm ci && npm run build`),
# then `docker build -t kserve-localmodel/fn:0.1.0 .`.
#
# Node 26, the active LTS (supported until April 2029), pinned to the exact version CI tests
# (scripts/nodes.ts).
FROM node:26.12.1-slim
COPY dist/kserve-localmodel-fn.js /fn/kserve-localmodel-fn.js
# Node's compile cache, warmed here by one run of the bundle, so the first render in a fresh container
# starts as fast as the tenth. Node keeps one cache folder per user id: the warming run runs as the
# image's user. A Node without a compile cache ignores the variable.
ENV NODE_COMPILE_CACHE=/fn/compile-cache
RUN install -d -o 1000 -g 1000 /fn/compile-cache
# The image's unprivileged `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
RUN ["node", "/fn/kserve-localmodel-fn.js", "--help"]
ENTRYPOINT ["node", "/fn/kserve-localmodel-fn.js"]
