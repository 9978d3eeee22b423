"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { isRetryable } from "@/lib/http/api-client";

// The one QueryClientProvider of the app. Each browser tab keeps one client; server data stays in
// its cache. Polling pauses in hidden tabs (refetchIntervalInBackground defaults to false).
export function Providers({ children }: Readonly<{ children: ReactNode }>) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) => failures < 2 && isRetryable(error),
      },
    },
  });
}
