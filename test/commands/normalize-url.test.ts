import { describe, expect, it } from 'vitest';
import { normalizeUrl } from '../../electron/commands/navigation';
import { isTrayError } from '../../shared/errors';

function refusal(raw: string): string {
  try {
    normalizeUrl(raw);
  } catch (error) {
    if (isTrayError(error, 'BAD_REQUEST')) return error.message;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe('normalizeUrl', () => {
  it('gives a bare host https://, and this machine http://', () => {
    expect(normalizeUrl('example.com')).toBe('https://example.com');
    expect(normalizeUrl('  example.com/a?b=1 ')).toBe('https://example.com/a?b=1');
    expect(normalizeUrl('example.com:8443/x')).toBe('https://example.com:8443/x');
    expect(normalizeUrl('localhost:3000')).toBe('http://localhost:3000');
    expect(normalizeUrl('127.0.0.1:8080/form.html')).toBe('http://127.0.0.1:8080/form.html');
    expect(normalizeUrl('[::1]:9000/')).toBe('http://[::1]:9000/');
  });

  it('takes an absolute path for the file, spaces and all', () => {
    expect(normalizeUrl('/tmp/my page.html')).toBe('file:///tmp/my%20page.html');
  });

  it('keeps an address that has a scheme as it is', () => {
    for (const url of [
      'http://example.com',
      'https://example.com/path#frag',
      'about:blank',
      'data:text/html,<p>hi</p>',
      'file:///tmp/page.html',
      'chrome://version',
    ]) {
      expect(normalizeUrl(url)).toBe(url);
    }
  });

  it('refuses what is not a URL, naming it', () => {
    expect(refusal('')).toBe('open: url is empty');
    expect(refusal('   ')).toBe('open: url is empty');
    expect(refusal('ht!tp://example.com')).toBe(
      'open: ht!tp://example.com is not a URL: its scheme is not valid',
    );
    expect(refusal('://example.com')).toContain('its scheme is not valid');
    expect(refusal('exa mple.com')).toBe('open: exa mple.com is not a valid URL');
    expect(refusal('http://exa mple.com')).toBe('open: http://exa mple.com is not a valid URL');
  });
});
