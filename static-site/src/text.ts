// The page script's messages in the page's language. The site build defines SITE_TEXT for each
// language's bundle (lib/site-build.ts), so a page downloads only its own language's messages.
import type { ScriptText } from './messages';

declare const SITE_TEXT: ScriptText;

export const text: ScriptText = SITE_TEXT;
