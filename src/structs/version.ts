// Roam's version, and the Nomad version whose API and behaviour it follows.
export const ROAM_VERSION = '0.1.0';
export const NOMAD_COMPAT_VERSION = '2.0.6';
