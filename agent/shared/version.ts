/** The Spanwise version, shared by the agent and the desktop (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
