import type { Server } from 'node:http';

/** The demo site's two origins (localhost and 127.0.0.1) on `port`. */
export function demoOrigins(port: number): string[];
/** The demo room, made on first run and reused after; its embedding list set to `origins`. */
export function ensureDemoRoom(
  parlor: string,
  origins: string[],
  stateFile: string,
): Promise<{ roomId: string; ownerToken: string; created: boolean }>;
/** A demo page embedding `roomId` with the documented snippet. */
export function demoPage(parlor: string, roomId: string, mode: 'launcher' | 'inline'): string;
/** Serves the demo pages on `port`. */
export function serveDemo(parlor: string, roomId: string, port: number): Promise<Server>;
/** Polls Parlor until its API answers. */
export function waitForParlor(parlor: string, timeoutMs?: number): Promise<void>;
