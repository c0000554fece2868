// What a frame shows for a private, unknown or unprocessed video: no player, no site chrome.
export default function EmbedUnavailable() {
  return (
    <div className="fixed inset-0 flex flex-col items-center justify-center gap-2 bg-zinc-950 p-6 text-center text-white" data-testid="embed-unavailable">
      <p className="text-lg font-medium">This video is unavailable.</p>
      <p className="text-sm text-zinc-400">It may be private, removed, or still processing.</p>
    </div>
  )
}
