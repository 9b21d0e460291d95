// The package ships plain CommonJS without types: `module.exports = stem`.
declare module 'wink-porter2-stemmer' {
  export default function stem(word: string): string;
}
