"use client";

import { Button } from "@tremor/react";
import { TextInput } from "../../_components/inputs";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { signInWithPassword } from "../../_lib/sign-in";

/** Only same-site paths, so a crafted link cannot send people elsewhere after signing in. */
const safeNext = (next: string | null) => (next && next.startsWith("/") && !next.startsWith("//") ? next : "/");

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(params.get("error") === "TooManyAttempts" ? "Too many failed sign-ins. Try again later." : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    const result = await signInWithPassword(email.trim(), password);
    if (!result.ok) {
      setError(result.message);
      setPending(false);
      return;
    }
    router.push(safeNext(params.get("next")));
    router.refresh();
  };

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Sign in">
      <div>
        <h1 className="text-xl font-semibold text-gray-900">Sign in</h1>
        <p className="mt-1 text-sm text-gray-500">Welcome back.</p>
      </div>
      <Field label="E-mail" htmlFor="email">
        <TextInput id="email" type="email" autoComplete="email" value={email} onValueChange={setEmail} required />
      </Field>
      <Field label="Password" htmlFor="password">
        <TextInput id="password" type="password" autoComplete="current-password" value={password} onValueChange={setPassword} required />
      </Field>
      {error ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" loading={pending}>
        Sign in
      </Button>
      <p className="text-center text-sm text-gray-500">
        New to Cairn?{" "}
        <Link href="/sign-up" className="font-medium text-blue-600 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
