import type { ProbeFacts } from '@/lib/pipeline/probe'

// ffprobe -show_format -show_streams JSON, trimmed to the fields the pipeline reads, as FFmpeg 5.1 prints them.

export const landscape1080 = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '60.000000', bit_rate: '6200000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 1920,
      height: 1080,
      coded_width: 1920,
      coded_height: 1080,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p',
      duration: '60.000000',
      disposition: { attached_pic: 0 },
    },
    { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000', disposition: { attached_pic: 0, default: 1 } },
  ],
}

/** iPhone portrait: stored landscape, shown turned by a display matrix; variable frame timing. */
export const phonePortrait = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.480000', bit_rate: '9800000', nb_streams: 4 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      width: 1920,
      height: 1080,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '1497/51',
      pix_fmt: 'yuv420p10le',
      side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
      tags: { creation_time: '2026-05-01T10:00:00.000000Z' },
    },
    { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 1, sample_rate: '44100' },
    { index: 2, codec_type: 'data', codec_name: 'none' },
    { index: 3, codec_type: 'data', codec_name: 'none' },
  ],
}

/** A 10-bit HDR10 (PQ, BT.2020) HEVC clip, as a phone or a grading tool writes it. */
export const pqHevc = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '10.000000', bit_rate: '12000000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      width: 3840,
      height: 2160,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p10le',
      color_range: 'tv',
      color_space: 'bt2020nc',
      color_transfer: 'smpte2084',
      color_primaries: 'bt2020',
    },
  ],
}

/** HLG broadcast-style source, full range and without a primaries tag. */
export const hlgNoPrimaries = {
  format: { format_name: 'matroska,webm', duration: '10.000000', bit_rate: '8000000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      width: 1920,
      height: 1080,
      r_frame_rate: '25/1',
      avg_frame_rate: '25/1',
      pix_fmt: 'yuv420p10le',
      color_range: 'pc',
      color_transfer: 'arib-std-b67',
    },
  ],
}

/** Wide-gamut SDR: BT.2020 primaries with the SDR BT.2020 transfer. */
export const wideGamutSdr = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '10.000000', bit_rate: '8000000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      width: 1920,
      height: 1080,
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p10le',
      color_range: 'tv',
      color_space: 'bt2020nc',
      color_transfer: 'bt2020-10',
      color_primaries: 'bt2020',
    },
  ],
}

/** 10-bit SDR BT.709 (camera log-free profile). */
export const sdr10bit709 = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '10.000000', bit_rate: '8000000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 1920,
      height: 1080,
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv422p10le',
      color_range: 'tv',
      color_space: 'bt709',
      color_transfer: 'bt709',
      color_primaries: 'bt709',
    },
  ],
}

export const oddNoAudio = {
  format: { format_name: 'matroska,webm', duration: '3.000000', bit_rate: '3800000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 854,
      height: 481,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv444p',
    },
  ],
}

/** NTSC DV: 720×480 stored, 32:27 pixels, so it is shown 853×480. */
export const anamorphicDv = {
  format: { format_name: 'avi', duration: '10.010000', bit_rate: '28000000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'dvvideo',
      width: 720,
      height: 480,
      sample_aspect_ratio: '32:27',
      r_frame_rate: '30000/1001',
      avg_frame_rate: '30000/1001',
      pix_fmt: 'yuv411p',
    },
    { index: 1, codec_type: 'audio', codec_name: 'pcm_s16le', channels: 2, sample_rate: '48000' },
  ],
}

export const slowMotion240 = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '5.000000', bit_rate: '40000000', nb_streams: 1 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 1280,
      height: 720,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '240/1',
      avg_frame_rate: '240/1',
      pix_fmt: 'yuv420p',
    },
  ],
}

/** An .m4a with cover art: a "video" stream that is one picture. */
export const audioWithCover = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '200.0', bit_rate: '256000', nb_streams: 2 },
  streams: [
    { index: 0, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '44100' },
    {
      index: 1,
      codec_type: 'video',
      codec_name: 'mjpeg',
      width: 600,
      height: 600,
      r_frame_rate: '90000/1',
      avg_frame_rate: '0/0',
      disposition: { attached_pic: 1 },
    },
  ],
}

export const noDuration = {
  format: { format_name: 'mpegts', nb_streams: 1 },
  streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', width: 640, height: 360, r_frame_rate: '25/1', avg_frame_rate: '25/1' }],
}

/** Facts for builders that do not need a probe run. */
export function facts(over: Partial<ProbeFacts> = {}): ProbeFacts {
  return {
    container: 'mov',
    durationMs: 60_000,
    width: 1920,
    height: 1080,
    codedWidth: 1920,
    codedHeight: 1080,
    rotation: 0,
    fps: 30,
    vfr: false,
    videoCodec: 'h264',
    pixFmt: 'yuv420p',
    color: { transfer: null, primaries: null, matrix: null, range: null, bitDepth: 8 },
    hasAudio: over.hasAudio ?? true,
    audioStreams: over.hasAudio === false ? [] : [{ audioIndex: 0, language: 'und', default: true }],
    audioCodec: 'aac',
    audioChannels: 2,
    audioSampleRate: 48000,
    bitrate: 6_200_000,
    sizeBytes: 46_500_000,
    streams: 2,
    ...over,
  }
}

/** A phone's HEVC in Matroska (Main, level 4.0), stereo AAC: what browsers cannot play by URL. */
export const hevcMkv1080 = {
  format: { format_name: 'matroska,webm', duration: '60.000000', bit_rate: '5000000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      profile: 'Main',
      level: 120,
      width: 1920,
      height: 1080,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p',
    },
    { index: 1, codec_type: 'audio', codec_name: 'aac', profile: 'LC', channels: 2, sample_rate: '48000' },
  ],
}

/** A camera's H.264 High 3.1 with AAC LC in MP4. */
export const h264High720 = {
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '10.000000', bit_rate: '3000000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      profile: 'High',
      level: 31,
      width: 1280,
      height: 720,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p',
    },
    { index: 1, codec_type: 'audio', codec_name: 'aac', profile: 'LC', channels: 2, sample_rate: '48000' },
  ],
}

/** A browser recording: VP9 profile 0 with Opus in WebM (ffprobe reports no VP9 level). */
export const vp9OpusWebm = {
  format: { format_name: 'matroska,webm', duration: '8.000000', bit_rate: '1500000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'vp9',
      profile: 'Profile 0',
      level: -99,
      width: 1280,
      height: 720,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      pix_fmt: 'yuv420p',
    },
    { index: 1, codec_type: 'audio', codec_name: 'opus', channels: 2, sample_rate: '48000' },
  ],
}

/** Broadcast MPEG-2 in a transport stream. */
export const mpeg2Ts = {
  format: { format_name: 'mpegts', duration: '30.000000', bit_rate: '8000000', nb_streams: 2 },
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'mpeg2video',
      profile: 'Main',
      level: 8,
      width: 720,
      height: 576,
      sample_aspect_ratio: '16:15',
      r_frame_rate: '25/1',
      avg_frame_rate: '25/1',
      pix_fmt: 'yuv420p',
    },
    { index: 1, codec_type: 'audio', codec_name: 'mp2', channels: 2, sample_rate: '48000' },
  ],
}
