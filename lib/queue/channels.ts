/** Postgres NOTIFY channels between web and workers. */
export const WAKE_CHANNEL = 'reelhouse_jobs'
export const CANCEL_CHANNEL = 'reelhouse_cancel'
export const EVENTS_CHANNEL = 'reelhouse_events'
/** A poster frame was requested (payload: the video id). */
export const POSTER_CHANNEL = 'reelhouse_posters'
