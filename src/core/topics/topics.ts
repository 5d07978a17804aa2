/**
 * Topic names and topic filters, as MQTT 5.0 section 4.7 defines them.
 * Every check returns the rule broken, in words a user can act on, or undefined when valid.
 */

/** Largest UTF-8 encoded length of any MQTT string (section 1.5.4). */
export const MAX_TOPIC_BYTES = 65_535;

const SHARE_PREFIX = '$share/';

function checkCommon(topic: string, what: string): string | undefined {
  if (topic.length === 0) return `${what} must not be empty (MQTT 5.0 §4.7.3).`;
  if (topic.includes('\u0000')) return `${what} must not contain U+0000 (MQTT 5.0 §4.7.3).`;
  if (/[\uD800-\uDFFF]/u.test(topic) && hasLoneSurrogate(topic)) {
    return `${what} contains an unpaired UTF-16 surrogate, which is not valid UTF-8 (MQTT 5.0 §1.5.4).`;
  }
  const bytes = Buffer.byteLength(topic, 'utf8');
  if (bytes > MAX_TOPIC_BYTES) {
    return `${what} is ${bytes} bytes in UTF-8; the limit is ${MAX_TOPIC_BYTES} (MQTT 5.0 §4.7.3).`;
  }
  return undefined;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** A topic name is what a PUBLISH carries: no wildcards. */
export function validateTopicName(topic: string): string | undefined {
  const common = checkCommon(topic, 'A topic name');
  if (common) return common;
  if (topic.includes('+') || topic.includes('#')) {
    return 'A topic name must not contain the wildcards "+" or "#"; they are only for subscriptions (MQTT 5.0 §4.7.1).';
  }
  return undefined;
}

/** A topic filter is what a SUBSCRIBE carries, including shared subscriptions. */
export function validateTopicFilter(filter: string): string | undefined {
  const common = checkCommon(filter, 'A topic filter');
  if (common) return common;
  let levels = filter.split('/');
  if (filter.startsWith(SHARE_PREFIX)) {
    const shareName = levels[1];
    if (!shareName)
      return 'A shared subscription needs a share name: $share/{name}/{filter} (MQTT 5.0 §4.8.2).';
    if (/[+#]/.test(shareName)) {
      return `The share name "${shareName}" must not contain "+" or "#" (MQTT 5.0 §4.8.2).`;
    }
    if (levels.length < 3 || (levels.length === 3 && levels[2] === '')) {
      return 'A shared subscription needs a topic filter after the share name: $share/{name}/{filter} (MQTT 5.0 §4.8.2).';
    }
    levels = levels.slice(2);
  }
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#')) {
      if (level !== '#') {
        return `"#" must occupy a whole level, but level ${i + 1} is "${level}" (MQTT 5.0 §4.7.1.2).`;
      }
      if (i !== levels.length - 1)
        return '"#" must be the last level of a topic filter (MQTT 5.0 §4.7.1.2).';
    }
    if (level.includes('+') && level !== '+') {
      return `"+" must occupy a whole level, but level ${i + 1} is "${level}" (MQTT 5.0 §4.7.1.3).`;
    }
  }
  return undefined;
}

/** Strips `$share/{name}/` so the filter can be matched against topic names. */
export function effectiveFilter(filter: string): string {
  if (!filter.startsWith(SHARE_PREFIX)) return filter;
  const rest = filter.indexOf('/', SHARE_PREFIX.length);
  return rest < 0 ? filter : filter.slice(rest + 1);
}

/**
 * Whether a topic name matches a (valid) filter. Filters that start with a wildcard do not
 * match topics that start with "$" (MQTT 5.0 §4.7.2).
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = effectiveFilter(filter).split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
