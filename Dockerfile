# The image form of kserve-localmodel-fn, for `kpt fn render` with `image:`, the Argo CD sidecar and
# CI. It holds only Node and the bundled function: build the bundle first (`npm ci && npm run build`),
# then `docker build -t kserve-localmodel/fn:0.1.0 .`.
FROM node:20-slim
COPY dist/kserve-localmodel-fn.js /fn/kserve-localmodel-fn.js
# The image's unprivileged `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
ENTRYPOINT ["node", "/fn/kserve-localmodel-fn.js"]
