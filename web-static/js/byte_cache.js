// Fetched bytes by URL, least recently used first out once over `limit` bytes. In memory only:
// the server sends media with Cache-Control: no-store, so recordings never land in the
// browser's disk cache.

export class ByteCache {
  constructor(limit) { this.limit = limit; this.size = 0; this.map = new Map(); }
  get(url, load) {
    let entry = this.map.get(url);
    if (entry) {  // most recently used last
      this.map.delete(url);
      this.map.set(url, entry);
      return entry.promise;
    }
    entry = { bytes: 0, promise: null };
    entry.promise = load().then((buf) => {
      entry.bytes = buf.byteLength;
      this.size += buf.byteLength;
      this.trim();
      return buf;
    }, (err) => { this.map.delete(url); throw err; });
    this.map.set(url, entry);
    return entry.promise;
  }
  trim() {
    for (const [url, entry] of this.map) {
      if (this.size <= this.limit) break;
      if (!entry.bytes) continue;
      this.map.delete(url);
      this.size -= entry.bytes;
    }
  }
}
