// Prometheus metrics of the web process. server.ts: metricsHandler and observeRequest as
// pre-handlers, observeSocketServer(io), recordBytesServed(n) from the media path.
export { METRICS_PATH, metricsHandler, observeRequest, observeSocketServer } from './http'
export { metricsRegistry } from './prometheus'
export { bytesServedPerSecond, recordBytesServed, recordRateLimited, setSocketClients, socketClients } from './state'
