/** The vendor's response envelopes: every body the server sends is one of these two. */
export interface SuccessBody<T> {
  status: number;
  requestId: string;
  result: T;
}

export interface ErrorBody {
  status: number;
  error: string;
  requestId: string;
}

export function successBody<T>(requestId: string, result: T): SuccessBody<T> {
  return { status: 200, requestId, result };
}

export function errorBody(status: number, error: string, requestId: string): ErrorBody {
  return { status, error, requestId };
}
