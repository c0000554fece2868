// Paths of a video's own media: manifests that add its text tracks to its content's streams, the
// tracks themselves and its chapters. The site answers them (they are read from the database),
// not the media origin, which serves stored files only; the streams they point at stay there.

export const videoMediaPaths = (videoId: string) => {
  const base = `/api/v1/videos/${encodeURIComponent(videoId)}`
  return {
    hls: `${base}/master.m3u8`,
    dash: `${base}/manifest.mpd`,
    chapters: `${base}/chapters.vtt`,
    track: (captionId: string) => `${base}/captions/${encodeURIComponent(captionId)}/track.vtt`,
    trackPlaylist: (captionId: string) => `${base}/captions/${encodeURIComponent(captionId)}/playlist.m3u8`,
  }
}

/** A path carrying the playback token private media needs (`?token=`), or as is when none is needed. */
export const withToken = (path: string, token: string | null): string => (token ? `${path}?token=${encodeURIComponent(token)}` : path)
