import { getVideoView, type VideoView } from '@/lib/videos/view'

/**
 * The video as the embed player gets it: only what anyone with the link may watch (public and
 * unlisted, processed), whoever is signed in, since the frame lives on someone else's page.
 */
export async function embeddableVideo(id: string): Promise<VideoView | null> {
  return getVideoView(null, id)
}
