DROP INDEX "events_user_time_idx";--> statement-breakpoint
DROP INDEX "events_time_idx";--> statement-breakpoint
CREATE INDEX "events_user_time_idx" ON "events" USING btree ("env_id","user_id","time");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "events" USING btree ("env_id","time");