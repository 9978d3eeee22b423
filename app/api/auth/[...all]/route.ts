/** GET|POST /api/auth/*: better-auth's sign-in, sign-out and session endpoints */
import { handleAuthRequest } from "@/lib/auth/http";
import { route } from "@/lib/http/handler";

export const GET = route(handleAuthRequest);
export const POST = route(handleAuthRequest);
