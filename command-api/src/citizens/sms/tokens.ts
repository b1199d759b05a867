/** The SMS gateway the API sends through (HTTP aggregator, or the development gateway). */
export const SMS_GATEWAY = Symbol('SmsGateway');
