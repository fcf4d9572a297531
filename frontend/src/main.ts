// Placeholder web UI: sign in, show who am I, sign out. The full UI replaces it.

interface Me {
  user: { display_name: string; role: string };
  organisation: { name: string };
  csrf_token: string | null;
}

interface Problem {
  title: string;
  detail: string;
}

let csrfToken = "";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

function show(me: Me | null): void {
  element("sign-in").hidden = me !== null;
  element("who-am-i").hidden = me === null;
  if (!me) return;
  csrfToken = me.csrf_token ?? "";
  element("user-name").textContent = me.user.display_name;
  element("organisation-name").textContent = me.organisation.name;
  element("role").textContent = me.user.role;
}

async function loadMe(): Promise<void> {
  const response = await fetch("/api/v1/me", { credentials: "same-origin" });
  show(response.ok ? ((await response.json()) as Me) : null);
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const response = await fetch("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
  });
  if (!response.ok) {
    const problem = (await response.json()) as Problem;
    element("sign-in-error").textContent = `${problem.title}: ${problem.detail}`;
    return;
  }
  element("sign-in-error").textContent = "";
  show((await response.json()) as Me);
}

async function signOut(): Promise<void> {
  await fetch("/api/v1/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrfToken } });
  show(null);
}

element<HTMLFormElement>("sign-in-form").addEventListener("submit", (event) => void signIn(event));
element("sign-out").addEventListener("click", () => void signOut());
void loadMe();
