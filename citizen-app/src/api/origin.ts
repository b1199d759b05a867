/** The native shells name the API at build time; the PWA talks to the origin that served it. */
export const apiOrigin: string = import.meta.env.VITE_PALABRE_API ?? '';
