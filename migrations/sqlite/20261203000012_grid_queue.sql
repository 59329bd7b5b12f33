-- A grid worker's queue: the open appeals of their grids (`work_queue`). No index began with
-- `grid_id`, so the part scanned every appeal; most appeals are closed (83% at the city
-- preset), so the index holds only the open ones, which is what the queue asks for.
CREATE INDEX appeal_grid_open ON appeal (grid_id, deadline_at) WHERE state <> 'closed';
