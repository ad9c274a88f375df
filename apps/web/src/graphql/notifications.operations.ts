import { operation } from './operation';

export type MyNotificationsData = { votingEmails: boolean; language: string; hasEmail: boolean };

export const MY_NOTIFICATIONS = operation<{ myNotifications: MyNotificationsData }, Record<string, never>>(
  `query WebMyNotifications { myNotifications { votingEmails language hasEmail } }`,
);

export const SET_MY_NOTIFICATIONS = operation<
  { setMyNotifications: MyNotificationsData | null },
  { input: { votingEmails: boolean; language: string } }
>(`mutation WebSetMyNotifications($input: MyNotificationsInput!) { setMyNotifications(input: $input) { votingEmails language hasEmail } }`);
