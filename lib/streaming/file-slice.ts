import { type FileHandle, open } from 'node:fs/promises'
import { Readable } from 'node:stream'

/**
 * Bytes `start..end` (inclusive) of a file as a Readable that opens the file only when first read.
 * `sendFileResponse` recognises it and streams the same slice with pooled buffers instead, so the
 * Readable form costs nothing unless someone else (a Web Response, a test) actually consumes it.
 */
export class FileSliceStream extends Readable {
  private handle: FileHandle | undefined
  private pos: number

  constructor(
    readonly filePath: string,
    readonly start: number,
    readonly end: number,
    readonly pieceSize: number,
  ) {
    super({ highWaterMark: pieceSize })
    this.pos = start
  }

  override _read(): void {
    this.readPiece().catch((err: Error) => this.destroy(err))
  }

  private async readPiece(): Promise<void> {
    const want = Math.min(this.pieceSize, this.end - this.pos + 1)
    if (want <= 0) {
      this.push(null)
      return
    }
    if (this.handle === undefined) {
      const handle = await open(this.filePath, 'r')
      // Destroyed while opening: _destroy saw no handle, so this one is ours to close.
      if (this.destroyed) return void (await handle.close())
      this.handle = handle
    }
    const buf = Buffer.allocUnsafeSlow(want)
    const { bytesRead } = await this.handle.read(buf, 0, want, this.pos)
    if (this.destroyed) return
    if (bytesRead === 0) throw new Error(`${this.filePath} ended before byte ${this.end}`)
    this.pos += bytesRead
    this.push(bytesRead === want ? buf : buf.subarray(0, bytesRead))
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle
    this.handle = undefined
    if (handle === undefined) callback(err)
    else handle.close().then(() => callback(err), callback)
  }
}
