// Errors carry a reason a person can read, the same wording as voting/crypto (Python).

export class EncodingError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EncodingError';
  }
}

export class VerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'VerificationError';
  }
}
