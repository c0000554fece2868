// How VHS (video.js's HLS/DASH engine) picks a rendition in "Auto".
//
// - Bandwidth is what VHS measures on the segments it downloads. Its default would instead
//   believe the Network Information API, whose `downlink` is rounded, capped at 10 Mbit/s and in
//   Chromium often a fixed guess (1.35 Mbit/s headless): every choice then stayed at the lowest
//   rungs, whatever the network really did.
// - Until the first measurement, VHS's initial estimate (4 Mbit/s, enough for a 720p rung) applies;
//   after that, the last measured estimate is kept in local storage, so the next video starts at
//   the quality this browser's network reached before.
// - The player's size times devicePixelRatio caps the choice: no 1080p in a 360 px wide phone
//   player, the sharpest rung that fits in a large modal.
export const VHS_OPTIONS = {
  // Chromium answers 'maybe' for HLS natively but cannot play it: VHS must take it.
  overrideNative: true,
  useNetworkInformationApi: false,
  useBandwidthFromLocalStorage: true,
  limitRenditionByPlayerDimensions: true,
  useDevicePixelRatio: true,
} as const
