/**
 * Read buffers shared by all responses. A response borrows a piece for one read + write and gives it
 * back once the write is flushed, so steady streaming neither allocates nor leaves garbage. Full-size
 * pieces are lent only while their total stays within the budget; past it a response gets a small piece,
 * so memory stays bounded however many clients there are (they just move fewer bytes per loop turn).
 */
export class BufferPool {
  private readonly idle = new Map<number, Buffer[]>()
  private idleBytes = 0
  private lent = 0

  constructor(private readonly budgetBytes: number) {}

  take(size: number, fallbackSize: number): Buffer {
    const granted = this.lent + size <= this.budgetBytes ? size : Math.min(size, fallbackSize)
    this.lent += granted
    const buf = this.idle.get(granted)?.pop()
    if (buf === undefined) return Buffer.allocUnsafeSlow(granted)
    this.idleBytes -= granted
    return buf
  }

  /** Back for reuse: only once nothing references it any more (its write callback ran). */
  give(buf: Buffer): void {
    this.lent -= buf.length
    if (this.idleBytes + buf.length > this.budgetBytes) return
    const list = this.idle.get(buf.length) ?? []
    list.push(buf)
    this.idle.set(buf.length, list)
    this.idleBytes += buf.length
  }

  /** No longer counted, but not reused either: a write that never completed may still reference it. */
  forget(buf: Buffer): void {
    this.lent -= buf.length
  }

  get lentBytes(): number {
    return this.lent
  }

  get idleByteCount(): number {
    return this.idleBytes
  }
}
