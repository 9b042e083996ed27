-- Rooms made before owners existed: their creator owns them. The global room and DMs have none.
UPDATE rooms SET owner_id = created_by WHERE kind = 'public' AND owner_id IS NULL;
