/**
 * TLS verification failures a user fixes in the profile's `tls` settings, told in plain words
 * that name the setting: an untrusted signer, a certificate made out to another name, an
 * expired certificate. Other TLS errors are left to the caller's generic wording.
 */
import type { TlsOptions } from '../profile/profile';

interface TlsErrorLike {
  code?: unknown;
  /** The name the certificate was checked against (Node sets it on ERR_TLS_CERT_ALTNAME_INVALID). */
  host?: string;
  reason?: string;
  cert?: { subjectaltname?: string; subject?: { CN?: string } };
}

/** OpenSSL's ways of saying "no CA you trust signed this chain". */
const UNTRUSTED_SIGNER = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** "IP Address:127.0.0.1, DNS:localhost" → "127.0.0.1, localhost". */
function certificateNames(e: TlsErrorLike): string | undefined {
  const san = e.cert?.subjectaltname;
  if (san) return san.replace(/(^|,\s*)(DNS|IP Address):/g, '$1');
  return e.cert?.subject?.CN;
}

/** The plain-words reason (without target), or undefined when this is not a trust problem. */
export function describeTlsTrustFailure(
  error: unknown,
  tls: TlsOptions | undefined,
): string | undefined {
  const e = (error ?? {}) as TlsErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (!code) return undefined;
  if (UNTRUSTED_SIGNER.has(code)) {
    return tls?.ca
      ? `the broker's certificate is not signed by the CA in tls.ca (${tls.ca}): point tls.ca at the CA that signed it`
      : "the broker's certificate is not signed by a CA you trust: set tls.ca to the file of the CA that signed it";
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = certificateNames(e);
    const made = names ? ` (it names ${names})` : '';
    if (tls?.servername)
      return `the broker's certificate is not made out to "${tls.servername}", the name in tls.servername${made}: set tls.servername to a name the certificate has`;
    if (e.host)
      return `the broker's certificate is not made out to "${e.host}"${made}: connect by a name the certificate has, or set tls.servername to one`;
    return e.reason;
  }
  if (code === 'CERT_HAS_EXPIRED')
    return "the broker's certificate has expired: the broker needs a renewed certificate (or this machine's clock is wrong)";
  if (code === 'CERT_NOT_YET_VALID')
    return "the broker's certificate is not valid yet: check this machine's clock";
  return undefined;
}
