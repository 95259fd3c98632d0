// Reason codes and their localized texts (the FraudScore control shows `reason`; codes are stable for reports).
import type { FeatureName } from './features.ts';

export const REASON_CODES: Record<FeatureName, string> = {
  seller_protection: 'SELLER_PROTECTION',
  card_checks_failed: 'CARD_CHECKS_FAILED',
  payer_unverified: 'PAYER_UNVERIFIED',
  payer_velocity_1h: 'PAYER_VELOCITY',
  email_velocity_24h: 'EMAIL_VELOCITY',
  address_velocity_24h: 'ADDRESS_VELOCITY',
  card_velocity_24h: 'CARD_VELOCITY',
  declines_1h: 'DECLINE_BURST',
  amount_z: 'AMOUNT_UNUSUAL_FOR_CUSTOMER',
  first_purchase_high: 'FIRST_PURCHASE_HIGH_VALUE',
  country_mismatch: 'COUNTRY_MISMATCH',
  refund_ratio: 'HIGH_REFUND_RATIO',
  dispute_ratio: 'HIGH_DISPUTE_RATIO',
  unusual_hour: 'UNUSUAL_HOUR',
  amount_log: 'HIGH_AMOUNT',
};

type Texts = Record<FeatureName, string>;
const TEXTS: Record<string, Texts> = {
  en: {
    seller_protection: 'PayPal Seller Protection does not (fully) cover this payment',
    card_checks_failed: 'Card checks failed (address / security code / processor response)',
    payer_unverified: 'The PayPal account of the payer is not verified',
    payer_velocity_1h: 'Many payments from this payer in the last hour',
    email_velocity_24h: 'Many payments with this e-mail address in the last 24 hours',
    address_velocity_24h: 'Many payments shipping to this address in the last 24 hours',
    card_velocity_24h: 'Many payments with this card in the last 24 hours',
    declines_1h: 'Declined payments from this payer or card in the last hour',
    amount_z: "Amount far above this customer's usual payments",
    first_purchase_high: 'First purchase of this customer, at a high value',
    country_mismatch: 'Payer, shipping and currency countries do not match',
    refund_ratio: 'This customer has a high refund ratio',
    dispute_ratio: 'This customer disputed many of their recent payments (disputes / payments, 180 days)',
    unusual_hour: 'Unusual time of day for this shop',
    amount_log: 'High amount',
  },
  de: {
    seller_protection: 'Der PayPal-Verkäuferschutz deckt diese Zahlung nicht (vollständig)',
    card_checks_failed: 'Kartenprüfungen fehlgeschlagen (Adresse / Sicherheitscode / Antwort des Prozessors)',
    payer_unverified: 'Das PayPal-Konto des Zahlers ist nicht verifiziert',
    payer_velocity_1h: 'Viele Zahlungen dieses Zahlers in der letzten Stunde',
    email_velocity_24h: 'Viele Zahlungen mit dieser E-Mail-Adresse in den letzten 24 Stunden',
    address_velocity_24h: 'Viele Zahlungen an diese Lieferadresse in den letzten 24 Stunden',
    card_velocity_24h: 'Viele Zahlungen mit dieser Karte in den letzten 24 Stunden',
    declines_1h: 'Abgelehnte Zahlungen dieses Zahlers oder dieser Karte in der letzten Stunde',
    amount_z: 'Betrag weit über den üblichen Zahlungen dieses Kunden',
    first_purchase_high: 'Erster Kauf dieses Kunden, mit hohem Betrag',
    country_mismatch: 'Länder von Zahler, Lieferung und Währung passen nicht zusammen',
    refund_ratio: 'Dieser Kunde hat eine hohe Erstattungsquote',
    dispute_ratio: 'Dieser Kunde hat viele seiner letzten Zahlungen beanstandet (Konflikte / Zahlungen, 180 Tage)',
    unusual_hour: 'Ungewöhnliche Uhrzeit für diesen Shop',
    amount_log: 'Hoher Betrag',
  },
};

export const REASON_LANGUAGES = Object.keys(TEXTS);

/** The text of a reason in `language` (en, de; anything else falls back to English). */
export function reasonText(feature: FeatureName, language = 'en'): string {
  return (TEXTS[language.slice(0, 2).toLowerCase()] ?? TEXTS.en!)[feature];
}
