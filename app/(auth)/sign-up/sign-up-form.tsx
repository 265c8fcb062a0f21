"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { TextInput } from "../../_components/inputs";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { FormError } from "../../_components/states";
import { fieldErrors } from "../../_lib/errors";
import { signInWithPassword } from "../../_lib/sign-in";
import { useTRPC } from "../../_lib/trpc";

/** With `invitation` (the secret of an invitation link) the account joins that organisation instead of getting its own. */
export function SignUpForm({ invitation, initialEmail = "" }: { invitation?: string; initialEmail?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState({ name: "", email: initialEmail, password: "", orgName: "" });
  const [signInError, setSignInError] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        const signedIn = await signInWithPassword(form.email.trim(), form.password);
        if (!signedIn.ok) {
          // Sign-up answers the same for a taken address (it must not tell who has an account), so a
          // failed sign-in here most likely means the address already had one.
          setSignInError(`Could not sign you in: ${signedIn.message} If this address already has an account, sign in with its password instead.`);
          return;
        }
        router.push("/");
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(signUp.error);
  const pending = signUp.isPending || (signUp.isSuccess && !signInError);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSignInError(null);
    signUp.mutate({ name: form.name, email: form.email, password: form.password, orgName: form.orgName.trim() || undefined, invitation });
  };

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Sign up" noValidate>
      <div>
        <h1 className="text-xl font-semibold text-gray-900">Create your account</h1>
        <p className="mt-1 text-sm text-gray-500">
          {invitation ? "You join the organisation that invited you." : "You get your own organisation to start in."}
        </p>
      </div>
      <Field label="Name" htmlFor="name" error={errors.name}>
        <TextInput id="name" autoComplete="name" value={form.name} onValueChange={set("name")} error={!!errors.name} />
      </Field>
      <Field label="E-mail" htmlFor="email" error={errors.email}>
        <TextInput id="email" type="email" autoComplete="email" value={form.email} onValueChange={set("email")} error={!!errors.email} />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters." error={errors.password}>
        <TextInput id="password" type="password" autoComplete="new-password" value={form.password} onValueChange={set("password")} error={!!errors.password} />
      </Field>
      {invitation ? null : (
        <Field label="Organisation name (optional)" htmlFor="orgName" hint="Defaults to “<your name>'s organisation”." error={errors.orgName}>
          <TextInput id="orgName" value={form.orgName} onValueChange={set("orgName")} error={!!errors.orgName} />
        </Field>
      )}
      <FormError error={signUp.error} />
      {signInError ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {signInError}
        </p>
      ) : null}
      <Button type="submit" className="w-full" loading={pending}>
        Create account
      </Button>
      <p className="text-center text-sm text-gray-500">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-blue-600 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
