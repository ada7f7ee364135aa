DROP TABLE IF EXISTS moderation_items;
