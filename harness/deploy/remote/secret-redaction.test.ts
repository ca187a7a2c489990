import { describe, expect, it } from 'vitest';
import { SecretValues, shortened } from './secret-redaction.ts';

describe('secret redaction of hop records', () => {
  it('shortens secret query parameters and leaves the others as they are', () => {
    const secrets = new SecretValues();
    const url = secrets.redactUrl('http://127.0.0.1:5000/callback?code=0f3c9a2e-1111-2222-3333-444455556666&state=S7x_very-random-state&iss=http%3A%2F%2Fas');
    expect(url).toBe('http://127.0.0.1:5000/callback?code=0f3c…(36)&state=S7x_…(21)&iss=http%3A%2F%2Fas');
    expect(url).not.toContain('0f3c9a2e-1111');
  });

  it('hides a value learnt from a URL when it turns up later in text', () => {
    const secrets = new SecretValues();
    secrets.redactUrl('http://localhost/callback?code=code-value-123456');
    expect(secrets.redactText('{"error":"invalid_grant","error_description":"code code-value-123456 already used"}')).toBe(
      '{"error":"invalid_grant","error_description":"code code…(17) already used"}',
    );
  });

  it('hides values it was told about, the longer first, and ignores short ones', () => {
    const secrets = new SecretValues();
    secrets.add('token-abcdefgh');
    secrets.add('token-abcdefgh-refresh');
    secrets.add('short');
    expect(secrets.redactText('a=token-abcdefgh-refresh b=token-abcdefgh c=short')).toBe('a=toke…(22) b=toke…(14) c=short');
  });

  it('hides known values outside the query too, and decodes an encoded secret before shortening it', () => {
    const secrets = new SecretValues();
    secrets.add('verifier-0123456789');
    expect(secrets.redactUrl('/token#verifier-0123456789')).toBe('/token#veri…(19)');
    expect(secrets.redactUrl('/cb?code=a%2Fb-0123456789#x')).toBe('/cb?code=a/b-…(14)#x');
    expect(shortened('abc')).toBe('…');
  });
});
