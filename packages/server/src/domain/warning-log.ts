/** Where the domain reports what it recovered from (a failed usedAt write); pino's logger fits. */
export interface WarningLog {
  warn(details: object, message: string): void;
}
