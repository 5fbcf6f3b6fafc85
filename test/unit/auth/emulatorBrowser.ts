import * as http from 'node:http';
import * as https from 'node:https';

export interface BrowserVisit {
  /** The authorize URL the product opened. */
  readonly authorizeUrl: string;
  /** Status the loopback listener answered with, and its page. */
  readonly loopbackStatus: number;
  readonly loopbackPage: string;
}

function get(url: string, ca: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

function send(method: 'GET' | 'POST', url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

/**
 * A scripted browser for the emulator: GETs the authorize URL (trusting the emulator's CA only), then
 * does what a browser does with the answer: follows a redirect to the loopback listener, or submits the
 * auto-posting form (`response_mode=form_post`) to it. Nothing is faked on the product's side.
 */
export function emulatorBrowser(ca: string, visits: BrowserVisit[] = []): (url: string) => Promise<void> {
  return async (authorizeUrl: string): Promise<void> => {
    const page = await get(authorizeUrl, ca);
    let answer: { status: number; text: string };
    if (page.status === 302 && typeof page.headers.location === 'string') {
      answer = await send('GET', page.headers.location);
    } else {
      const form = /<form method="POST" name="hiddenform" action="([^"]+)">(.*?)<\/form>/s.exec(page.text);
      if (form === null) {
        throw new Error(`the authorize page has no form (HTTP ${page.status}): ${page.text.slice(0, 200)}`);
      }
      const fields = new URLSearchParams();
      for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
        fields.append(decodeHtml(m[1]), decodeHtml(m[2]));
      }
      answer = await send('POST', decodeHtml(form[1]), fields.toString());
    }
    visits.push({ authorizeUrl, loopbackStatus: answer.status, loopbackPage: answer.text });
  };
}
