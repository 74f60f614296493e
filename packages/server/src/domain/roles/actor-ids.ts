/** The actor resource ID of an API key and of a member, as roles list them. */
export const keyActor = (keyId: string): string => `apiKey/${keyId}`;
export const userActor = (userId: string): string => `user/${userId}`;
export const invitationActor = (invitationId: string): string => `invitation/${invitationId}`;
