export * from './actor'
export * from './current'
