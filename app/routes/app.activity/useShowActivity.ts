import { useNavigate } from "@remix-run/react";
import { useAppPath } from "../../components/useAppPath";

/** Opens Activity with these query parameters (empty ones dropped), keeping Shopify's own. */
export function useShowActivity() {
  const navigate = useNavigate();
  const appPath = useAppPath();
  return (params: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) next.set(key, value);
    navigate(appPath(`/app/activity?${next}`));
  };
}
