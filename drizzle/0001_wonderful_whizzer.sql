DROP INDEX "events_type_idx";--> statement-breakpoint
CREATE INDEX "events_type_idx" ON "events" USING btree ("env_id","type","name","time");