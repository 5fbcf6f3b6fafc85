import { english, msg, type Message } from '../messages';
import type { PathSegment } from './templateModel';

/*
 * Templates never carry credentials (docs/templates.md, SECURITY.md): a template is meant to be committed
 * and shared, and GDAP Explorer signs in on its own. So anything that looks like a secret — a field named
 * like one, a JWT, a `password=…` pair, an Entra client secret, a long base64 run — is a problem of the
 * template. The messages name where, never the value, so a problem list or a diagnostic cannot leak it.
 */

export interface SecretFinding {
  readonly segments: readonly PathSegment[];
  readonly message: string;
  /** `message` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly messageCode: Message;
}

/** Field names that hold credentials, compared without case, digits or separators (client_secret, clientSecret). */
const SECRET_KEY = /(secret|password|passwd|pwd|token|apikey|privatekey|credential|assertion|signature)/;

/** A JSON Web Token: base64url header `{"…` (eyJ), payload, optional signature. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(\.[A-Za-z0-9_-]*)?/;

/** `password=…`, `client_secret: …`, `token=…` inside a string. */
const KEY_VALUE = /(client[_-]?secret|secret|password|passwd|pwd|token|api[_-]?key|sig)\s*[=:]\s*[^\s&;,]+/i;

/** An Entra application client secret: three characters, a digit, "Q~", then the rest. */
const ENTRA_SECRET = /[A-Za-z0-9_.~-]{3}\dQ~[A-Za-z0-9_.~-]{30,}/;

/** A run of 40+ base64 characters mixing upper case, lower case and digits (words and GUIDs never do). */
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

function looksLikeBase64Secret(text: string): boolean {
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)) {
      return true;
    }
  }
  return false;
}

/** What kind of secret a string value looks like, or undefined. */
export function secretShape(text: string): string | undefined {
  const shape = secretShapeMessage(text);
  return shape === undefined ? undefined : english(shape);
}

/** The kind of secret as a message: a whole phrase per kind, so each reads in the user's language. */
function secretShapeMessage(text: string): Message | undefined {
  if (JWT.test(text)) {
    return msg('a token (JWT)');
  }
  if (KEY_VALUE.test(text)) {
    return msg('a password, secret or token assignment');
  }
  if (ENTRA_SECRET.test(text)) {
    return msg('an application client secret');
  }
  if (looksLikeBase64Secret(text)) {
    return msg('a long base64 value (a key or secret)');
  }
  return undefined;
}

/** One sentence per place (the whole template, an item, a field), never a glued "this {0}". */
function valueMessage(segments: readonly PathSegment[], shape: Message): Message {
  if (segments.length === 0) {
    return msg(
      'The value of the template looks like {0}. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
      shape,
    );
  }
  return typeof segments[segments.length - 1] === 'number'
    ? msg('The value of this item looks like {0}. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).', shape)
    : msg(
        'The value of this field looks like {0}. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
        shape,
      );
}

const finding = (segments: readonly PathSegment[], message: Message): SecretFinding => ({
  segments,
  message: english(message),
  messageCode: message,
});

/** Every secret-looking field or value in a parsed template (any shape: it runs before the schema). */
export function findSecrets(json: unknown): SecretFinding[] {
  const found: SecretFinding[] = [];
  const visit = (value: unknown, segments: PathSegment[]): void => {
    if (typeof value === 'string') {
      const shape = secretShapeMessage(value);
      if (shape !== undefined) {
        found.push(finding(segments, valueMessage(segments, shape)));
      }
    } else if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => visit(v, [...segments, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (SECRET_KEY.test(key.toLowerCase().replace(/[^a-z]/g, ''))) {
          found.push(
            finding(
              [...segments, key],
              msg(
                'The field "{0}" holds a credential. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
                key,
              ),
            ),
          );
        } else {
          visit(v, [...segments, key]);
        }
      }
    }
  };
  visit(json, []);
  return found;
}
