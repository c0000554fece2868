// The W3C WebVTT validator's parser (CommonJS, no types of its own): the parts we use.
declare module 'webvtt-parser' {
  export interface WebVTTNode {
    type: 'text' | 'object' | 'timestamp'
    name?: string
    value?: string | number
    classes?: string[]
    children?: WebVTTNode[]
  }
  export interface WebVTTCue {
    id: string
    startTime: number
    endTime: number
    text: string
    tree: { children: WebVTTNode[] }
    [setting: string]: unknown
  }
  export interface WebVTTParseError {
    message: string
    line: number
    col?: number
  }
  export interface WebVTTParseResult {
    cues: WebVTTCue[]
    errors: WebVTTParseError[]
    styles: unknown[]
    time: number
  }
  export class WebVTTParser {
    constructor(entities?: Record<string, string>)
    parse(input: string, mode?: 'subtitles' | 'chapters' | 'metadata'): WebVTTParseResult
  }
  export class WebVTTSerializer {
    serialize(cues: WebVTTCue[], styles?: unknown[]): string
  }
  const webvtt: { WebVTTParser: typeof WebVTTParser; WebVTTSerializer: typeof WebVTTSerializer }
  export default webvtt
}
