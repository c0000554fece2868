import net from 'node:net'

/** Fails with one clear line when the web port is taken, before anything else starts. */
export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use (set PORT)` : `cannot listen on ${host}:${port}: ${err.message}`),
      ),
    )
    srv.listen(port, host, () => srv.close(() => resolve()))
  })
}
