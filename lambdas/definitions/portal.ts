// What the portal is called and how it looks, for the pages and the emails.

export const portalDefaults = {
  name: 'IMS SUPPORT',
  /** Brand colour: buttons and links. Dark enough for white text at WCAG AA. */
  primaryColour: '#1f4e8c',
} as const;
