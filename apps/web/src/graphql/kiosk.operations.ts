import { operation } from './operation';

export interface KioskData {
  kioskId: string;
  fundId: string;
  place: string;
}

/** An officer switches this device to kiosk mode: the device's token comes back once. */
export const START_KIOSK = operation<{ startKiosk: { device: string; kiosk: KioskData } | null }, { fundId: string; place: string }>(
  `mutation WebStartKiosk($fundId: ID!, $place: String!) { startKiosk(fundId: $fundId, place: $place) { device kiosk { kioskId fundId place } } }`,
);

/** The kiosk a device's token names while it is in force (null once it ended). */
export const KIOSK = operation<{ kiosk: KioskData | null }, { device: string }>(
  `query WebKiosk($device: String!) { kiosk(device: $device) { kioskId fundId place } }`,
);

export const SIGN_IN_AT_KIOSK = operation<
  { signInAtKiosk: { token: string; subject: string } | null },
  { device: string; reference: string; code: string }
>(
  `mutation WebSignInAtKiosk($device: String!, $reference: String!, $code: String!) { signInAtKiosk(device: $device, reference: $reference, code: $code) { token subject } }`,
);

export const END_KIOSK = operation<{ endKiosk: boolean | null }, { device: string }>(
  `mutation WebEndKiosk($device: String!) { endKiosk(device: $device) }`,
);
